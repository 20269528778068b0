from clients.models.clients import AttachmentStyle, Client, ClientAssignment, ClientStatusChange

__all__ = ["AttachmentStyle", "Client", "ClientAssignment", "ClientStatusChange"]
